# The offline round (issue 18): every key starting `offline-` is served to the phone in the
# round's copy (`GET /round/offline`, field `labels`). The phone's own texts (h18b) go here.
