# Vietnamese messages of the assets domain: keys raised by langso-app and langso-web.
assets-file-too-large = Tệp quá { $limit } MB
