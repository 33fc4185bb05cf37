# Vietnamese messages of the system domain: keys raised by langso-app and langso-web.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Dòng { $row }, cột “{ $column }”: { $text }
at-row = Dòng { $row }: { $text }
at-column = “{ $column }”: { $text }

# The JSON API's refusals of a request it cannot read (problem+json titles and field messages).
api-bad-request = Yêu cầu không hợp lệ
api-invalid-input = Dữ liệu không hợp lệ
api-not-found = Không có địa chỉ này trong API
api-method-not-allowed = Địa chỉ này không nhận phương thức này
api-too-large = Yêu cầu quá lớn
api-unsupported-media-type = Kiểu nội dung không được hỗ trợ
api-too-many-requests = Quá nhiều yêu cầu, xin thử lại sau
api-busy = Máy chủ đang bận, xin thử lại sau
api-internal = Lỗi hệ thống
api-body-not-json = Nội dung không phải JSON hợp lệ ({ $reason })
api-body-json-content-type = Cần gửi tiêu đề Content-Type: application/json
api-body-unreadable = Không đọc được nội dung yêu cầu (quá lớn, bị ngắt hoặc gửi quá chậm)
api-field-invalid = Giá trị không hợp lệ ({ $reason })
api-field-missing = Thiếu trường bắt buộc này
api-field-unknown = Trường này không được nhận
