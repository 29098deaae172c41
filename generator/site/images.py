"""Reading an image's size: its page gives the <img> its width and height."""

from __future__ import annotations

import io


class ImageUnreadable(Exception):
    """An image file Pillow cannot read (the producer says where it is named)."""


def image_size(data: bytes) -> tuple[int, int]:
    """The width and height of an image file, read from its header."""
    from PIL import Image, UnidentifiedImageError  # only builds with images need it

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except UnidentifiedImageError:
        raise ImageUnreadable("not a PNG, JPEG, GIF, WebP or other image file") from None
    except Image.DecompressionBombError:
        # A header claiming more pixels than Pillow will decode: no photo is that large.
        raise ImageUnreadable("its header claims an impossibly large size") from None
    except (OSError, ValueError) as exc:
        raise ImageUnreadable(str(exc)) from None
    return int(width), int(height)
