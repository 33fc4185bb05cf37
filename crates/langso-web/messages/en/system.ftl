# English messages of the system domain: the same keys as vi/system.ftl.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Row { $row }, column “{ $column }”: { $text }
at-row = Row { $row }: { $text }
at-column = “{ $column }”: { $text }
