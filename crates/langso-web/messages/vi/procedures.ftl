# Vietnamese messages of the procedures domain: keys raised by langso-app and langso-web.
