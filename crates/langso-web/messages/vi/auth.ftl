# Vietnamese messages of the auth domain: keys raised by langso-app and langso-web.
