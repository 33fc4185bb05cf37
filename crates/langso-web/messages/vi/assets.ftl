# Vietnamese messages of the assets domain: keys raised by langso-app and langso-web.
