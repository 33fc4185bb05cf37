# Vietnamese messages of the households domain: keys raised by langso-app and langso-web.
