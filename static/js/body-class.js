// Loaded synchronously at the top of <body>, so GOV.UK Frontend's JavaScript-only styles apply
// before the first paint rather than after a flash of the no-JavaScript layout.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
