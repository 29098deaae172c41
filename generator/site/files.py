"""Files published as they are: templates/static/* (stylesheet, scripts, icon) under static/,
and the local files articles show (images beside them) under media/."""

from __future__ import annotations

from generator.core.layout import STATIC_DIR
from generator.site import urls
from generator.site.chrome import Produced
from generator.site.context import SiteContext
from generator.site.plan import Product, SitePlan


def make_static(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One file of templates/static/, at static/."""
    rel = str(product.params[0])
    return {"static/" + rel.removeprefix(f"{STATIC_DIR.as_posix()}/"): ctx.file(rel)}


def make_media(ctx: SiteContext, plan: SitePlan, product: Product) -> Produced:
    """One local file an article links, at media/."""
    rel = str(product.params[0])
    return {urls.media(rel): ctx.file(rel)}
