# Vietnamese messages of the teams domain: keys raised by langso-app and langso-web.
