# Writes scipy_reference.json: outputs of the scipy.ndimage calls the CIFAR-10-C generator makes, on
# the plane x[i, j] = ((i * 32 + j) * 37 % 101) / 100, for FiltersScipyTest. Run with numpy + scipy:
#   python3 make_fixtures.py   (numpy 2.4.6, scipy 1.17.1 wrote the committed file)
import json
import numpy as np
from scipy.ndimage import gaussian_filter, map_coordinates, zoom as scizoom

x = (((np.arange(32)[:, None] * 32 + np.arange(32)[None, :]) * 37) % 101) / 100.0

def clipped_zoom(img, z):  # make_cifar_c.py, for a 2-D plane
    h = img.shape[0]
    ch = int(np.ceil(h / z))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (z, z), order=1)
    trim = (img.shape[0] - h) // 2
    return img[trim:trim + h, trim:trim + h]

rows = np.array([-3.7, -0.2, 0.0, 5.5, 30.6, 31.4, 33.2, 40.9])
cols = np.array([2.25, 31.8, -1.5, 12.0, 0.4, -7.3, 16.6, 31.0])
out = {
    "zoom_1.25": clipped_zoom(x, 1.2500000000000002).ravel().tolist(),
    "zoom_1.11": clipped_zoom(x, 1.11).ravel().tolist(),
    "zoom_2.25": clipped_zoom(x, 2.25).ravel().tolist(),
    "gaussian_reflect_6.4_t3": gaussian_filter(x, 6.4, mode="reflect", truncate=3).ravel().tolist(),
    "gaussian_nearest_0.7_t4": gaussian_filter(x, 0.7, mode="nearest", truncate=4).ravel().tolist(),
    "map_rows": rows.tolist(), "map_cols": cols.tolist(),
    "map_reflect_order1": map_coordinates(x, [rows, cols], order=1, mode="reflect").tolist(),
}
json.dump(out, open("scipy_reference.json", "w"))
