# Vietnamese messages of the faults domain: keys raised by langso-app and langso-web.

# Open311 POST requests: a form past a limit (public/open311_form.rs).
faults-open311-too-many-fields = Biểu mẫu có { $count } trường, quá giới hạn { $limit } trường
faults-open311-field-too-long = Trường “{ $field }” dài quá { $limit } byte
