# Vietnamese messages of the households domain: keys raised by langso-app and langso-web.
households-visit-id-taken = Mã lượt thăm { $id } đã dùng cho một hộ khác: lượt thăm này không được ghi

# Giới hạn của trình đọc bảng tính (langso-app households::limits, refusal.rs).
households-file-too-many-parts = Tệp Excel có quá { $limit } phần
households-file-part-too-large = Một phần của tệp Excel quá { $limit } MB khi giải nén
households-file-too-large-uncompressed = Tệp Excel quá { $limit } MB khi giải nén
households-file-compression-ratio = Tệp Excel giãn ra hơn { $limit } lần khi giải nén
households-file-too-many-shared-strings = Bảng chuỗi dùng chung có quá { $limit } chuỗi
households-file-shared-strings-too-large = Bảng chuỗi dùng chung quá { $limit } MB
households-file-xml-too-long = Tệp Excel có thẻ hoặc đoạn chữ dài quá { $limit } KB
households-file-xml-too-deep = Tệp Excel lồng sâu quá { $limit } cấp
households-file-sheet-too-many-rows = Trang tính có quá { $limit } dòng
households-file-sheet-too-many-cells = Một dòng có quá { $limit } ô
households-file-too-many-columns = Tệp có dữ liệu ở quá { $limit } cột
households-file-too-many-rows = Tệp có quá { $limit } dòng
households-file-cell-too-long = Ô dài quá { $limit } ký tự
households-file-line-too-long = Dòng dài quá { $limit } KB
households-file-outside-grid = Ô { $reference } nằm ngoài trang tính Excel ({ $columns } cột × { $rows } dòng)
households-file-more-errors = … và { $count } lỗi khác (chỉ liệt kê 1000 lỗi đầu)

# A file the reader cannot read at all (cut off, not a file).
households-file-unreadable = Không đọc được tệp: { $error }
