# English messages of the faults domain: the same keys as vi/faults.ftl.
