// Loaded at the top of <body>: GOV.UK Frontend styles its components for JavaScript only when
// the body has these classes. A file, not an inline snippet, so the Content-Security-Policy
// can forbid inline script altogether.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
