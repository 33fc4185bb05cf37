# Vietnamese messages of the audit domain: keys raised by langso-app and langso-web.
