# Vietnamese messages of the comms domain: keys raised by langso-app and langso-web.
