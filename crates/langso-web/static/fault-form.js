// Langso: on the residents' fault form, fills the position from the phone when the resident
// asks and allows it. The form works without it (the place is then picked or written).
(function () {
  var button = document.getElementById('locate');
  if (!button || !('geolocation' in navigator)) return;
  var status = document.getElementById('locate-status');
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById('lat').value = p.coords.latitude.toFixed(6);
      document.getElementById('long').value = p.coords.longitude.toFixed(6);
      status.textContent = button.getAttribute('data-done');
    }, function () {
      status.textContent = button.getAttribute('data-failed');
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
