# English messages of the criteria domain: the same keys as vi/criteria.ftl.
