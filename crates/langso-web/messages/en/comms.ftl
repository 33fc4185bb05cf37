# English messages of the comms domain: the same keys as vi/comms.ftl.
