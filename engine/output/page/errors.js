/* errors.js - records script errors on the page, for the tests that load it. */
window.addEventListener('error',function(e){var r=document.documentElement;r.setAttribute('data-jserror',(r.getAttribute('data-jserror')||'')+(e.message||'error')+';');});
