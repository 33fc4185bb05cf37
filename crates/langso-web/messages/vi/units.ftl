# Vietnamese messages of the units domain: keys raised by langso-app and langso-web.
