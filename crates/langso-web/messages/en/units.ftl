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

# units: names told apart, the unit picker
units-formerly = { $name } (formerly { $former })
units-with-code = { $name } ({ $code })
units-picker-hint = Type part of the name, then choose from the list; units that share a name carry their former commune.
units-picker-none = No unit matches that name; choose one from the list.
