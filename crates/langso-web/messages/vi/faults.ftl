# Vietnamese messages of the faults domain: keys raised by langso-app and langso-web.
