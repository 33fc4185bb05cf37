# English messages of the units domain: the same keys as vi/units.ftl.

# Pages.
units-unit-required = Choose a unit
units-title = Administrative units
units-search-label = Find a unit
units-search-hint = Name or code, with or without diacritics (e.g. song phuong, 09829)
units-search-button = Search
units-date-label = As of
units-date-hint = Date as YYYY-MM-DD; empty means today
units-date-error = Invalid date: enter it as YYYY-MM-DD, e.g. 2025-06-01
units-date-show = Show
units-results = Search results
units-no-results = No unit found.
units-tree = Unit tree
units-as-of = as of
units-under = under
units-closed = closed / merged
unit-code = Code
unit-kind = Level
unit-valid = In force
unit-now = now
unit-note = Note
unit-children = Units under it
unit-none = None.
unit-counts = All units below
unit-parents = Parent history
unit-lineage = Where it came from and went
unit-came-from = Formed from
unit-went-to = Merged into
unit-share-whole = whole
unit-share-part = part
unit-unverified = unverified
unit-basis = Basis
unit-same-code = Same code in another period
unit-coordinates = Coordinates
kind-province = Province
kind-district = District
kind-commune = Commune
kind-ward = Ward
kind-town = Town
kind-special-zone = Special zone
kind-village = Village
kind-street-group = Street group
kind-residential-cluster = Residential cluster
kind-hamlet = Hamlet

# pages: units (and the units API)
# Refusals from langso-app and langso-domain
units-kind-unknown = unknown unit kind: "{ $value }"
units-date-invalid = Not a valid date: “{ $value }” (use YYYY-MM-DD, e.g. 2025-06-01)
units-name-invalid = a unit name needs 1–200 characters
units-period-reversed = period ends ({ $to }) before it starts ({ $from })
units-share-invalid = share must be whole or part: "{ $value }"
units-csv-unreadable = unreadable CSV: { $error }
units-column-unknown = unknown column
units-column-missing = required column missing
units-line-broken = broken line: { $error }
units-coordinate-invalid = invalid coordinate: "{ $value }"
units-code-not-in-force = no unit with code { $code } in force on { $date }
units-manage-forbidden = you may not manage units here
units-kind-cannot-sit-under = a { $kind } cannot sit under a { $parent }
units-code-in-use = code { $code } is still held by { $name } in that period
units-required = required
units-boolean-invalid = must be true or false: "{ $value }"
units-effective-differs = every line needs the same effective date
units-file-empty = the file has no lines
units-effective-invalid = invalid effective date
units-old-name-differs = code { $code } on { $date } is { $name }, not { $given }
units-new-code-names-differ = new code { $code } is given different names
units-code-closed = code { $code } was closed ({ $name }) and only its successor may take it over
units-split-needs-moves = { $name } is split: say where { $child } ({ $code }) goes
units-unit-not-found = unit not found
units-move-cycle = cycle: { $parent } is inside { $name }
units-move-not-in-force = { $name } or { $parent } is not in force on { $date }
units-move-cannot-sit-under = a { $kind } cannot sit under a { $parent_kind }
units-orphan = { $name } ({ $code }) would be left with no valid parent on { $date }
units-code-twice-under-parent = code { $code } appears twice under one parent
units-code-invalid = invalid code for a { $kind ->
        [special_zone] special zone
        [street_group] street group
        [residential_cluster] residential cluster
       *[other] { $kind }
    }: "{ $code }" (province 2 digits, district 3, commune 5; village: an internal code of at most 20 characters)
# units: names told apart, the unit picker
units-formerly = { $name } (formerly { $former })
units-with-code = { $name } ({ $code })
units-picker-hint = Type part of the name, then choose from the list; units that share a name carry their former commune.
units-picker-none = No unit matches that name; choose one from the list.
units-children = { $count ->
    [one] 1 unit under it
   *[other] { $count } units under it
}
