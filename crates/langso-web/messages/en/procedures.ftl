# English messages of the procedures domain: the same keys as vi/procedures.ftl.
