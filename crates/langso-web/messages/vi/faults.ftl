# Vietnamese messages of the faults domain: keys raised by langso-app and langso-web.

# Open311 POST requests: a form past a limit (public/open311_form.rs).
faults-open311-too-many-fields = Biểu mẫu có { $count } trường, quá giới hạn { $limit } trường
faults-open311-field-too-long = Trường “{ $field }” dài quá { $limit } byte

# Trang (pages).
fault-title = Báo hỏng thiết bị
fault-asset = Mã thiết bị (trên tem)
fault-service = Loại sự cố
fault-description = Mô tả
fault-address = Địa chỉ, vị trí
fault-reporter = Tên hoặc số điện thoại (không bắt buộc)
fault-send = Gửi báo hỏng
fault-status = Tình trạng xử lý
fault-due = Hạn xử lý
work-new = Mới tiếp nhận
work-assigned = Đã giao người xử lý
work-in-progress = Đang xử lý
work-fixed = Đã sửa xong
work-closed = Đã đóng
fault = Lỗi thiết bị
orders-title = Phiếu sửa chữa
orders-one = Phiếu sửa chữa
orders-none = Không có phiếu nào.
orders-requested = Ngày báo
orders-assignee = Người xử lý
orders-position = Toạ độ
orders-reporter = Người báo
orders-media = Ảnh (đường dẫn)
orders-photo = Ảnh người dân gửi
orders-move = Chuyển trạng thái
orders-history = Lịch sử xử lý
orders-public-note = Cho người báo hỏng xem ghi chú này (không ghi số điện thoại, tên người)
orders-note-public = công khai
orders-when = Lúc
orders-who = Người thực hiện
work-other = Sự cố khác
fault-photo = Ảnh (không bắt buộc; JPEG, PNG hoặc WebP, tối đa 5 MB)

# pages: public (residents' fault form, Open311)
fault-photo-too-large = Ảnh quá lớn (tối đa { $limit } MB)
faults-open311-not-found = Không tìm thấy
faults-open311-unknown-format = Định dạng không được hỗ trợ (chỉ .json hoặc .xml)
faults-open311-no-such-service = Không có dịch vụ này
faults-open311-internal = Lỗi máy chủ
faults-open311-bad-date = Ngày không hợp lệ (RFC 3339 / W3C): { $date }
faults-open311-asset = Mã thiết bị
faults-open311-asset-hint = Mã thiết bị trên tem
# Refusals from langso-app and langso-domain
faults-service-unknown = dịch vụ không có
faults-description-length = tối đa { $limit } ký tự
faults-media-url-invalid = cần địa chỉ http(s)
faults-too-long = quá dài
faults-photo-too-large = ảnh quá lớn (tối đa 5 MB)
faults-photo-type = ảnh phải là JPEG, PNG hoặc WebP
faults-asset-not-found = không có thiết bị này
faults-location-required = cần vị trí, địa chỉ hoặc mã thiết bị
faults-unit-not-found = không có đơn vị này
faults-status-corrupt = trạng thái hỏng
faults-status-unknown = trạng thái không hợp lệ
faults-assignee-required = cần người xử lý
faults-order-moved-meanwhile = phiếu vừa được người khác cập nhật
faults-status-move-refused = không chuyển được { $from } → { $to }

# h16b: service levels, updates to the reporter, Open311 as clients expect it
faults-open311-jurisdiction = Máy chủ này không phục vụ jurisdiction_id “{ $given }”
faults-open311-bad-status = Trạng thái “{ $status }” không hợp lệ (chỉ open hoặc closed)
faults-open311-service-notice = Phản hồi trong { $response } giờ, sửa xong trong { $repair } giờ
faults-open311-too-large = Nội dung gửi quá lớn (ảnh tối đa { $limit } MB)
faults-level-hours = số giờ phải từ 1 đến 8784, thời hạn phản hồi không quá thời hạn sửa
faults-answer-not-fixed = Sự cố chưa được báo là đã sửa xong, chưa thể xác nhận hay báo lại
faults-answer-too-late = Đã quá { $days } ngày kể từ khi sửa xong: không thể xác nhận hay báo lại nữa. Nếu thiết bị lại hỏng, hãy gửi một báo hỏng mới.
faults-reopen-note-required = hãy cho biết sự cố còn thế nào
fault-respond-by = Hạn phản hồi
fault-answer = Thiết bị đã được sửa chưa?
fault-answer-hint = Trong 14 ngày sau khi sửa xong, bạn có thể xác nhận hoặc báo sự cố vẫn còn.
fault-confirm = Đã sửa tốt
fault-reopen = Sự cố vẫn còn
fault-reopen-note = Sự cố còn thế nào?
fault-feed = Theo dõi bằng nguồn tin (Atom)
fault-feed-title = Tình trạng xử lý báo hỏng
orders-overdue = Quá hạn
orders-overdue-only = Chỉ phiếu quá hạn
orders-respond-by = Hạn phản hồi
orders-on-time = Phiếu sửa chữa đúng hạn
orders-on-time-share = Tỉ lệ đúng hạn
orders-late = Trễ hạn
orders-overdue-count = Phiếu đang quá hạn: { $count }
orders-notifications = Thông báo chờ gửi
