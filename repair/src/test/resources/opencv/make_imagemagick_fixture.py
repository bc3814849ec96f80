# Writes imagemagick.json: ImageMagick's own motion blur (MagickMotionBlurImage through Wand, called as
# make_cifar_c.py calls it: the uint8 image as PNG, radius, sigma, angle) of the image of
# make_fixtures.py at the five severities' (radius, sigma) and fixed angles, for MotionBlurReferenceTest.
# Debian 12's ImageMagick 6.9.11-60 Q16 and python3-wand 0.6.11 wrote the committed file.
import ctypes, io, json
import numpy as np, cv2
from PIL import Image
from wand.image import Image as WandImage
from wand.api import library as wandlibrary

wandlibrary.MagickMotionBlurImage.argtypes = (ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_double)
Y, X, C = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
img = ((7 * Y + 13 * X + 50 * C + (Y * X) % 17 + (40 * np.sin(X / 3)).astype(int)) % 256).astype(np.uint8)
out = {}
for s, (r, sigma) in enumerate([(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)], 1):
    for angle in (-45.0, -20.0, 0.0, 30.0, 90.0):
        b = io.BytesIO()
        Image.fromarray(img).save(b, format="PNG")
        w = WandImage(blob=b.getvalue())
        wandlibrary.MagickMotionBlurImage(w.wand, r, sigma, angle)
        x = cv2.imdecode(np.frombuffer(w.make_blob(), np.uint8), cv2.IMREAD_UNCHANGED)[..., [2, 1, 0]]
        out[f"{s}/{angle}"] = bytes(x.astype(np.uint8).ravel()).hex()
json.dump(out, open("imagemagick.json", "w"))
