# English messages of the system domain: the same keys as vi/system.ftl.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Row { $row }, column “{ $column }”: { $text }
at-row = Row { $row }: { $text }
at-column = “{ $column }”: { $text }

# The JSON API's refusals of a request it cannot read (problem+json titles and field messages).
api-bad-request = Bad request
api-invalid-input = Invalid input
api-not-found = No such address in the API
api-method-not-allowed = This address does not take this method
api-too-large = Request too large
api-unsupported-media-type = Unsupported content type
api-too-many-requests = Too many requests, try again later
api-busy = Server busy, try again later
api-internal = Internal error
api-body-not-json = The body is not valid JSON ({ $reason })
api-body-json-content-type = Send the header Content-Type: application/json
api-body-unreadable = The request body could not be read (too large, cut off or sent too slowly)
api-field-invalid = Invalid value ({ $reason })
api-field-missing = This field is required
api-field-unknown = Unknown field
