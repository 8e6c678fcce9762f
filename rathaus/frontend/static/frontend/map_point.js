// Maps of frontend/includes/map_point.html: show one point, and in forms let a click choose it.
// The latitude/longitude inputs stay the way to enter the point; the map is an addition.
// Tiles that cannot load (offline, blocked) leave a grey map and nothing else breaks.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.L === "undefined") {
    return;
  }
  document.querySelectorAll("[data-map-point]").forEach((figure) => {
    const data = figure.dataset;
    const number = (value) => {
      const parsed = Number.parseFloat(String(value).replace(",", "."));
      return Number.isFinite(parsed) ? parsed : null;
    };
    const [centerLat, centerLon] = (data.center || "0,0").split(",").map(number);
    const latInput = data.latitudeInput ? document.getElementById(data.latitudeInput) : null;
    const lonInput = data.longitudeInput ? document.getElementById(data.longitudeInput) : null;
    figure.hidden = false;
    const map = window.L.map(figure.querySelector(".site-map__canvas"), {
      center: [centerLat ?? 0, centerLon ?? 0],
      zoom: 12,
      scrollWheelZoom: false,
    });
    map.attributionControl.setPrefix(false);
    window.L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    let marker = null;
    const place = (lat, lon, pan) => {
      if (lat === null || lon === null) {
        return;
      }
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = window.L.marker([lat, lon], {
          keyboard: false,
          interactive: false,
          alt: data.markerLabel || "",
        }).addTo(map);
      }
      if (pan) {
        map.setView([lat, lon], Math.max(map.getZoom(), 15));
      }
    };
    const lat = latInput ? latInput.value : data.latitude;
    const lon = lonInput ? lonInput.value : data.longitude;
    place(number(lat), number(lon), true);
    if (latInput && lonInput) {
      map.on("click", (event) => {
        latInput.value = event.latlng.lat.toFixed(6);
        lonInput.value = event.latlng.lng.toFixed(6);
        place(event.latlng.lat, event.latlng.lng, false);
      });
      const typed = () => place(number(latInput.value), number(lonInput.value), true);
      latInput.addEventListener("change", typed);
      lonInput.addEventListener("change", typed);
    }
  });
});
