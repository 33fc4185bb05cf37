# English messages of the dashboard domain: the same keys as vi/dashboard.ftl.

# Pages.
dashboard-title = Smart-village programme
dashboard-as-of = Figures as of
dashboard-show = Show
dashboard-report-xlsx = Monthly report (Excel)
dashboard-report-pdf = Monthly report (PDF)
dashboard-commune-teams = Commune digital teams
dashboard-village-teams = Village-level digital teams
dashboard-members = Team members
dashboard-smart-villages = Smart villages
dashboard-groups = Village groups
dashboard-wifi = Free public wifi points
dashboard-cameras = Security cameras
dashboard-solar = Solar street lights
dashboard-qr-procedures = Procedures with QR guides
dashboard-coverage = Households visited door to door
dashboard-outreach = Trainings · conferences · billboards · broadcasts
dashboard-map = Villages by status
dashboard-by-unit = By unit
dashboard-progress = Door-to-door progress over time
dashboard-indicators = Indicator shares
dashboard-villages = Villages
dashboard-village-status = Status

# pages: dashboard
dashboard-now = Every figure is current, on { $day }.
dashboard-then = Figures as of { $day }: the administrative tree of that day, the villages recognised by decisions in force that day, and door-to-door visits per month (counted to the end of { $month }).
dashboard-current = Current figures ({ $day }): digital teams and members, households and households visited, household indicators, village groups, devices, QR codes, trainings and outreach — of the units in that day's tree.
dashboard-visits-to = Door-to-door visits to the end of { $month }
dashboard-date-invalid = Enter a valid date
dashboard-unit = Unit
dashboard-households = Households
dashboard-visited = Visited
dashboard-month-invalid = Write the month as year-month, for example 2025-03
dashboard-chart-visits = Door-to-door visits, cumulated by month
dashboard-chart-visits-series = Visits
dashboard-chart-children = Smart villages per unit
dashboard-chart-indicators = Indicator shares
dashboard-map-title = Villages by status on { $day }

# h15d: the report in the official form
report-form-title = Monthly report in the official form
report-form-intro = The report follows Decree 30/2020/NĐ-CP: issuing body, national name and motto, number and symbol, place and date, recipients, signer. Fill in what the office knows, then download the PDF or Excel file.
report-form-month = Month reported
report-form-number = Document number (leave empty to write it by hand)
report-form-recipients = Recipients (one a line)
report-form-capacity = Signing for (TM., KT., …)
report-form-signer-title = Signer's title
report-form-signer-name = Signer's full name
report-form-open = Report in the official form
report-signing-too-long = each field of the report holds at most { $chars } characters, and at most { $lines } recipients
