"""A Python client of the Data Sandbox's gRPC API (mutual TLS), with the sandbox's rich errors decoded.

    from datasandbox_client import SandboxClient, error_info
    with SandboxClient("localhost", 7443, ca="pki/ca.crt", cert="pki/clients/developer.crt",
                       key="pki/clients/developer.key") as sandbox:
        ticket = sandbox.submit_job("public-health", "SELECT district, COUNT(*) AS n FROM residents GROUP BY district")
        for event in sandbox.watch_job(ticket.job_id):
            print(event.state, event.tasks_done, event.tasks_total)
        receipt, arrow_ipc = sandbox.fetch_result(ticket.job_id)
"""

from .client import SandboxClient, SandboxError, error_info, flight_available, read_flight

__all__ = ["SandboxClient", "SandboxError", "error_info", "flight_available", "read_flight"]
