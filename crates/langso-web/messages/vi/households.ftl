# Vietnamese messages of the households domain: keys raised by langso-app and langso-web.
households-visit-id-taken = Mã lượt thăm { $id } đã dùng cho một hộ khác: lượt thăm này không được ghi
