# English messages of the households domain: the same keys as vi/households.ftl.
households-visit-id-taken = Visit id { $id } was already used for another household: this visit was not recorded

# The spreadsheet readers' limits (langso-app households::limits, refusal.rs).
households-file-too-many-parts = The XLSX file has more than { $limit } parts
households-file-part-too-large = A part of the XLSX file is over { $limit } MB uncompressed
households-file-too-large-uncompressed = The XLSX file is over { $limit } MB uncompressed
households-file-compression-ratio = A part of the XLSX file expands more than { $limit } times
households-file-too-many-shared-strings = The shared-strings table has more than { $limit } strings
households-file-shared-strings-too-large = The shared-strings table is over { $limit } MB
households-file-xml-too-long = The XLSX file has a tag or text over { $limit } KB
households-file-xml-too-deep = The XLSX file nests more than { $limit } levels deep
households-file-sheet-too-many-rows = The sheet has more than { $limit } rows
households-file-sheet-too-many-cells = A row has more than { $limit } cells
households-file-too-many-columns = The file has data in more than { $limit } columns
households-file-too-many-rows = The file has more than { $limit } rows
households-file-cell-too-long = The cell is longer than { $limit } characters
households-file-line-too-long = The line is longer than { $limit } KB
households-file-outside-grid = Cell { $reference } is outside Excel's grid ({ $columns } columns × { $rows } rows)
households-file-more-errors = … and { $count } more problems (only the first 1000 are listed)

# A file the reader cannot read at all (cut off, not a file).
households-file-unreadable = Cannot read the file: { $error }
