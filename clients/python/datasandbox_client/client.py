"""The client: one secure channel, the job calls, and ErrorInfo from the grpc-status-details-bin trailer."""

import grpc

from . import stubs

sandbox_pb2, sandbox_pb2_grpc, status_pb2, error_details_pb2 = stubs.load()

STATUS_DETAILS_KEY = "grpc-status-details-bin"
TERMINAL_STATES = ("RELEASED", "FAILED", "CANCELLED")


class SandboxError(Exception):
    """A refusal or failure of the sandbox: the gRPC code, the message, and the ErrorInfo (reason, metadata)."""

    def __init__(self, code, message, info):
        super().__init__("%s: %s" % (code.name, message))
        self.code = code
        self.message = message
        self.info = info

    def __str__(self):
        text = "%s: %s" % (self.code.name, self.message)
        if self.info is not None:
            metadata = ", ".join("%s=%s" % (k, v) for k, v in sorted(self.info.metadata.items()))
            text += "\n  ErrorInfo domain=%s reason=%s metadata={%s}" % (self.info.domain, self.info.reason, metadata)
        return text


def error_info(rpc_error):
    """The google.rpc.ErrorInfo the sandbox attaches to every error it makes (None for gRPC's own errors)."""
    trailers = rpc_error.trailing_metadata() if hasattr(rpc_error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == STATUS_DETAILS_KEY:
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    return info
    return None


def _raise(rpc_error):
    raise SandboxError(rpc_error.code(), rpc_error.details(), error_info(rpc_error)) from rpc_error


def _read(path):
    with open(path, "rb") as f:
        return f.read()


class SandboxClient:
    """Calls the sandbox as the person and role of a client certificate issued by the sandbox CA."""

    def __init__(self, host, port, ca, cert, key, timeout=300):
        self.host = host
        self._credentials = (ca, cert, key)
        credentials = grpc.ssl_channel_credentials(root_certificates=_read(ca), private_key=_read(key),
                                                   certificate_chain=_read(cert))
        self.channel = grpc.secure_channel("%s:%d" % (host, port), credentials)
        self.timeout = timeout
        self.jobs = sandbox_pb2_grpc.JobServiceStub(self.channel)
        self.catalog = sandbox_pb2_grpc.CatalogServiceStub(self.channel)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.channel.close()

    def list_catalog(self):
        try:
            return self.catalog.ListCatalog(sandbox_pb2.ListCatalogRequest(), timeout=self.timeout)
        except grpc.RpcError as e:
            _raise(e)

    def submit_job(self, scenario, sql):
        """Submits a query on the originals; the ticket names the job and the guard's rewrite."""
        try:
            return self.jobs.SubmitJob(sandbox_pb2.SubmitJobRequest(scenario=scenario, sql=sql), timeout=self.timeout)
        except grpc.RpcError as e:
            _raise(e)

    def watch_job(self, job_id):
        """Yields the job's events (past ones first), ending after the terminal one."""
        try:
            for event in self.jobs.WatchJob(sandbox_pb2.WatchJobRequest(job_id=job_id), timeout=self.timeout):
                yield event
        except grpc.RpcError as e:
            _raise(e)

    def fetch_result(self, job_id):
        """The receipt and the released result (an Arrow IPC stream: the chunks' data, concatenated in order)."""
        receipt = None
        data = bytearray()
        try:
            for chunk in self.jobs.FetchResult(sandbox_pb2.FetchResultRequest(job_id=job_id), timeout=self.timeout):
                if chunk.HasField("receipt"):
                    receipt = chunk.receipt
                data.extend(chunk.data)
        except grpc.RpcError as e:
            _raise(e)
        return receipt, bytes(data)


def state_name(event):
    return sandbox_pb2.JobState.Name(event.state)


def flight_available():
    """True when pyarrow (with Flight) is installed: Debian has no pyarrow, pip's does."""
    try:
        import pyarrow.flight  # noqa: F401
        return True
    except ImportError:
        return False


def read_flight(host, flight_port, ca, cert, key, job_id):
    """A released result as a pyarrow Table, read over Arrow Flight (DoGet; the ticket is the job id)."""
    import pyarrow.flight as flight
    client = flight.FlightClient("grpc+tls://%s:%d" % (host, flight_port), tls_root_certs=_read(ca),
                                 cert_chain=_read(cert), private_key=_read(key))
    try:
        return client.do_get(flight.Ticket(job_id.encode("utf-8"))).read_all()
    finally:
        client.close()
