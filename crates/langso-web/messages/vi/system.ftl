# Vietnamese messages of the system domain: keys raised by langso-app and langso-web.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Dòng { $row }, cột “{ $column }”: { $text }
at-row = Dòng { $row }: { $text }
at-column = “{ $column }”: { $text }
