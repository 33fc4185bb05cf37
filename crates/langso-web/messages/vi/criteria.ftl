# Vietnamese messages of the criteria domain: keys raised by langso-app and langso-web.
