# English messages of the households domain: the same keys as vi/households.ftl.
households-visit-id-taken = Visit id { $id } was already used for another household: this visit was not recorded
