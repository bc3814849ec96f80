# Writes reference.json: what Pillow, OpenCV and scikit-image (the libraries of the CIFAR-10-C
# generator, make_cifar_c.py) compute for its deterministic steps, on the image
# x[y, x, c] = (7 y + 13 x + 50 c + (y x) % 17 + 40 sin(x / 3)) mod 256, for LibraryReferenceTest.
# uint8 arrays are hex strings (HWC order), float arrays lists of float32 values.
# Debian 12's python3-pil 9.4.0, python3-opencv 4.6.0, python3-skimage 0.19.3 wrote the committed file:
#   /usr/bin/python3 make_fixtures.py [frost folder, to also check the frost texture shrinking]
import io, json, sys
import numpy as np, cv2, skimage as sk
from skimage.filters import gaussian
from PIL import Image

Y, X, C = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
img = ((7 * Y + 13 * X + 50 * C + (Y * X) % 17 + (40 * np.sin(X / 3)).astype(int)) % 256).astype(np.uint8)
pil = Image.fromarray(img)
def hexes(a):
    return bytes(np.asarray(a, dtype=np.uint8).ravel()).hex()

out = {"image_hwc": hexes(img)}

def disk(radius, alias_blur):  # make_cifar_c.py
    L = np.arange(-8, 8 + 1)
    X_, Y_ = np.meshgrid(L, L)
    d = np.array((X_ ** 2 + Y_ ** 2) <= radius ** 2, dtype=np.float32)
    d /= np.sum(d)
    return cv2.GaussianBlur(d, ksize=(3, 3), sigmaX=alias_blur)

for s, c in enumerate([0.95, 0.9, 0.85, 0.75, 0.65], 1):
    small = pil.resize((int(32 * c), int(32 * c)), Image.BOX)
    out[f"pixelate_{s}"] = hexes(small.resize((32, 32), Image.BOX))
for s, (r, a) in enumerate([(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)], 1):
    k = disk(r, a)
    out[f"disk_{s}"] = k.ravel().tolist()
    x = img / 255.
    ch = np.array([cv2.filter2D(x[:, :, d], -1, k) for d in range(3)]).transpose((1, 2, 0))
    out[f"defocus_{s}"] = hexes(np.uint8(np.clip(ch, 0, 1) * 255))
for s, c in enumerate([0.05, 0.1, 0.15, 0.2, 0.3], 1):
    h = sk.color.rgb2hsv(img / 255.)
    h[:, :, 2] = np.clip(h[:, :, 2] + c, 0, 1)
    out[f"brightness_{s}"] = hexes(np.uint8(np.clip(sk.color.hsv2rgb(h), 0, 1) * 255))
for s, c in enumerate([0.4, 0.6, 0.7, 0.8, 1], 1):
    out[f"gaussian_blur_{s}"] = hexes(np.uint8(np.clip(gaussian(img / 255., sigma=c, multichannel=True), 0, 1) * 255))
for s, q in enumerate([80, 65, 58, 50, 40], 1):
    b = io.BytesIO()
    pil.save(b, "JPEG", quality=q)
    out[f"jpeg_{s}"] = hexes(np.array(Image.open(b)))
pts1 = np.float32([[26, 26], [26, 6], [6, 6]])
pts2 = pts1 + np.float32([[1.3, -2.1], [0.4, 0.9], [-1.7, 2.2]])
M = cv2.getAffineTransform(pts1, pts2)
out["affine_M"] = M.ravel().tolist()
out["warp_affine"] = [float("%.9g" % v) for v in
                      cv2.warpAffine((img / 255.).astype(np.float32), M, (32, 32), borderMode=cv2.BORDER_REFLECT_101).ravel()]
if len(sys.argv) > 1:  # frost(): cv2.resize(fx=fy=0.2) of a texture picks source pixel (5 y + 2, 5 x + 2)
    tex = cv2.imread(sys.argv[1] + "/frost2.png")
    small = cv2.resize(tex, (0, 0), fx=0.2, fy=0.2)
    assert (small == tex[2::5, 2::5][:small.shape[0], :small.shape[1]]).all()
json.dump(out, open("reference.json", "w"))
