# Vietnamese messages of the dashboard domain: keys raised by langso-app and langso-web.

# Trang (pages).
dashboard-title = Chương trình thôn thông minh
dashboard-as-of = Số liệu tính đến ngày
dashboard-show = Xem
dashboard-report-xlsx = Báo cáo tháng (Excel)
dashboard-report-pdf = Báo cáo tháng (PDF)
dashboard-commune-teams = Tổ CNSCĐ cấp xã
dashboard-village-teams = Tổ CNSCĐ thôn, tổ dân phố, cụm dân cư
dashboard-members = Thành viên tổ CNSCĐ
dashboard-smart-villages = Thôn thông minh
dashboard-groups = Nhóm Zalo của thôn
dashboard-wifi = Điểm wifi công cộng miễn phí
dashboard-cameras = Camera an ninh
dashboard-solar = Đèn năng lượng mặt trời
dashboard-qr-procedures = Thủ tục hành chính có mã QR
dashboard-coverage = Hộ đã đến tận nhà
dashboard-outreach = Tập huấn · hội nghị · pano · phát thanh
dashboard-map = Bản đồ thôn theo trạng thái
dashboard-by-unit = Theo đơn vị
dashboard-progress = Tiến độ đến hộ theo thời gian
dashboard-indicators = Tỉ lệ theo chỉ số
dashboard-villages = Thôn, tổ dân phố
dashboard-village-status = Tình trạng

# pages: dashboard
dashboard-now = Mọi số liệu là số liệu hiện tại, ngày { $day }.
dashboard-then = Số liệu đến ngày { $day }: cây đơn vị hành chính của ngày đó, số thôn được công nhận theo quyết định còn hiệu lực ngày đó, và lượt đến hộ theo tháng (tính đến hết tháng { $month }).
dashboard-current = Số liệu hiện tại ({ $day }): tổ CNSCĐ và thành viên, số hộ và số hộ đã đến, chỉ số của hộ, nhóm Zalo, thiết bị, mã QR, tập huấn và tuyên truyền — của các đơn vị trong cây ngày đó.
dashboard-visits-to = Lượt đến hộ đến hết tháng { $month }
dashboard-date-invalid = Hãy nhập một ngày hợp lệ
dashboard-unit = Đơn vị
dashboard-households = Số hộ
dashboard-visited = Đã đến
dashboard-month-invalid = Hãy ghi tháng theo dạng năm-tháng, ví dụ 2025-03
dashboard-chart-visits = Lượt đến hộ cộng dồn theo tháng
dashboard-chart-visits-series = Lượt đến hộ
dashboard-chart-children = Thôn thông minh theo đơn vị
dashboard-chart-indicators = Tỉ lệ theo chỉ số
dashboard-map-title = Bản đồ thôn theo trạng thái, ngày { $day }

# h15d: the report in the official form
report-form-title = Báo cáo tháng theo thể thức văn bản hành chính
report-form-intro = Báo cáo được trình bày theo Nghị định 30/2020/NĐ-CP: tên cơ quan, Quốc hiệu và Tiêu ngữ, số và ký hiệu, địa danh và ngày, nơi nhận, người ký. Điền những gì văn phòng biết rồi tải PDF hoặc Excel.
report-form-month = Tháng báo cáo
report-form-number = Số văn bản (để trống để ghi tay)
report-form-recipients = Nơi nhận (mỗi dòng một nơi)
report-form-capacity = Thẩm quyền ký (TM., KT., …)
report-form-signer-title = Chức vụ người ký
report-form-signer-name = Họ và tên người ký
report-form-open = Báo cáo theo thể thức hành chính
report-signing-too-long = mỗi ô của báo cáo tối đa { $chars } ký tự, nơi nhận tối đa { $lines } dòng
