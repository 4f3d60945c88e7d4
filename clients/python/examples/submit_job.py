#!/usr/bin/python3
"""Submits a job, follows its progress, reads its released result, and shows ErrorInfo when refused.

    /usr/bin/python3 clients/python/examples/submit_job.py --data-dir sandbox-data --port 7443 \
        [--flight-port 7444] [--scenario public-health] [--sql "SELECT ..."] [--refused-sql "SELECT ..."]

--data-dir takes the demo developer's certificate from a local server's data directory; --ca, --cert and
--key name any others. Exit status: 0 when the job was released and read (and the refused query, if any,
was refused with an ErrorInfo), 1 otherwise.
"""

import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from datasandbox_client import SandboxClient, SandboxError, flight_available, read_flight  # noqa: E402
from datasandbox_client.client import TERMINAL_STATES, state_name  # noqa: E402

DEFAULT_SQL = "SELECT district, COUNT(*) AS n FROM residents GROUP BY district"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=7443)
    parser.add_argument("--flight-port", type=int, help="the server's --flight-port, to read the result over Flight")
    parser.add_argument("--data-dir", help="a local server's data directory (the demo developer's certificate)")
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--scenario", default="public-health")
    parser.add_argument("--sql", default=DEFAULT_SQL)
    parser.add_argument("--refused-sql", help="a query the guard refuses, to show its ErrorInfo")
    args = parser.parse_args()
    if args.data_dir:
        pki = os.path.join(args.data_dir, "pki")
        ca = args.ca or os.path.join(pki, "ca.crt")
        cert = args.cert or os.path.join(pki, "clients", "developer.crt")
        key = args.key or os.path.join(pki, "clients", "developer.key")
    elif args.ca and args.cert and args.key:
        ca, cert, key = args.ca, args.cert, args.key
    else:
        parser.error("give --data-dir, or --ca, --cert and --key")

    ok = True
    with SandboxClient(args.host, args.port, ca, cert, key) as sandbox:
        try:
            ticket = sandbox.submit_job(args.scenario, args.sql)
        except SandboxError as e:
            print("submit refused:", e)
            return 1
        print("submitted", ticket.job_id, "rewrites:", ",".join(ticket.rewrites) or "none")
        last = None
        for event in sandbox.watch_job(ticket.job_id):
            last = event
            # tasks_total grows as later stages start: the fraction is progress, not a time estimate
            print("  %-9s %d/%d tasks  %s" % (state_name(event), event.tasks_done, event.tasks_total, event.message))
        if last is None or state_name(last) != "RELEASED":
            state = state_name(last) if last is not None else "no events"
            print("job ended", state, last.error_code if last is not None else "")
            return 1
        receipt, arrow_ipc = sandbox.fetch_result(ticket.job_id)
        print("result: %d rows, %d bytes of Arrow IPC, ledger entry %d" % (receipt.rows, len(arrow_ipc),
                                                                           receipt.ledger_sequence))
        # the receipt's hash is the crypto profile's: SM3 by default, SHA-256 for INTERNATIONAL
        checked = [name for name in ("sm3", "sha256")
                   if name in hashlib.algorithms_available and hashlib.new(name, arrow_ipc).hexdigest() == receipt.sha]
        if checked:
            print("  sha matches the receipt (%s)" % checked[0].upper())
        elif "sm3" in hashlib.algorithms_available:
            print("  sha does NOT match the receipt")
            ok = False
        else:
            print("  sha not checked (this Python's OpenSSL has no SM3)")
        if flight_available():
            if args.flight_port:
                table = read_flight(args.host, args.flight_port, ca, cert, key, ticket.job_id)
                print("flight: %d rows; schema metadata: %s" % (table.num_rows, table.schema.metadata))
                print(table.to_pandas() if hasattr(table, "to_pandas") else table)
                ok = ok and table.num_rows == receipt.rows
            else:
                import pyarrow
                print(pyarrow.ipc.open_stream(arrow_ipc).read_all())
        else:
            print("pyarrow is not installed (Debian has none; pip install pyarrow): Flight and decoding skipped")
        if args.refused_sql:
            try:
                sandbox.submit_job(args.scenario, args.refused_sql)
                print("expected a refusal, the query was accepted")
                ok = False
            except SandboxError as e:
                print("refused:", e)
                ok = ok and e.info is not None
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
