"""Generates the Python stubs of the sandbox's proto (and of the vendored google.rpc protos) and imports them.

The stubs are never committed: they are generated from grpc-api/src/main/proto/sandbox.proto with the
protoc of Debian's python3-grpc-tools the first time they are needed (and again when a proto is newer),
into clients/python/build/generated, so they always match the server's contract and the installed
protobuf runtime.
"""

import importlib
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_CLIENT = os.path.dirname(_HERE)
VENDORED = os.path.join(_CLIENT, "protos")
GENERATED = os.path.join(_CLIENT, "build", "generated")
SANDBOX_PROTO_DIR = os.environ.get(
    "DATASANDBOX_PROTO_DIR",
    os.path.join(_CLIENT, "..", "..", "grpc-api", "src", "main", "proto"))
_PROTOS = [
    (SANDBOX_PROTO_DIR, "sandbox.proto"),
    (VENDORED, os.path.join("google", "rpc", "status.proto")),
    (VENDORED, os.path.join("google", "rpc", "error_details.proto")),
]


def _stale():
    marker = os.path.join(GENERATED, "sandbox_pb2.py")
    if not os.path.exists(marker):
        return True
    built = os.path.getmtime(marker)
    return any(os.path.getmtime(os.path.join(root, name)) > built for root, name in _PROTOS)


def generate():
    """Runs protoc (from grpc_tools) on the protos when the stubs are missing or older than a proto."""
    if not _stale():
        return
    try:
        from grpc_tools import protoc
    except ImportError as e:
        raise SystemExit("python3-grpc-tools is missing (Debian: apt-get install python3-grpc-tools)") from e
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    os.makedirs(GENERATED, exist_ok=True)
    for root, name in _PROTOS:
        args = ["grpc_tools.protoc", "-I" + root, "-I" + VENDORED, "-I" + well_known,
                "--python_out=" + GENERATED, "--grpc_python_out=" + GENERATED, os.path.join(root, name)]
        if protoc.main(args) != 0:
            raise SystemExit("protoc failed on " + name)


def load():
    """Generates the stubs when needed; returns the modules (sandbox_pb2, sandbox_pb2_grpc, status_pb2, error_details_pb2)."""
    generate()
    if GENERATED not in sys.path:
        sys.path.insert(0, GENERATED)
    return (importlib.import_module("sandbox_pb2"), importlib.import_module("sandbox_pb2_grpc"),
            importlib.import_module("google.rpc.status_pb2"),
            importlib.import_module("google.rpc.error_details_pb2"))
