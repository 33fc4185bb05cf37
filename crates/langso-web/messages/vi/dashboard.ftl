# Vietnamese messages of the dashboard domain: keys raised by langso-app and langso-web.
