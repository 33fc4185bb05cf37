# English messages of the faults domain: the same keys as vi/faults.ftl.

# Open311 POST requests: a form past a limit (public/open311_form.rs).
faults-open311-too-many-fields = The form has { $count } fields, more than the limit of { $limit }
faults-open311-field-too-long = Field “{ $field }” is longer than the limit of { $limit } bytes
