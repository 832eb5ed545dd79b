"""The demo centre's printed documents: a few test pages in the archive."""

from __future__ import annotations

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.i18n import tr
from frontdesk.documents import service
from frontdesk.documents.models import Document
from frontdesk.documents.testpages import test_pages


def demo_documents(session: Session, actor: Actor, rng: random.Random) -> str:
    """Archive one test page of each paper, once."""
    if session.scalar(select(func.count()).select_from(Document)):
        return tr("文档存档已有内容，跳过。")
    pages = test_pages(centre_info(session).name, actor.display_name, actor.now())
    for page in pages:
        service.archive_document(session, actor, kind="documents.test_page", title=page.title,
                                 paper=page.paper, pdf=page.pdf)
    return tr("已存档 {n} 份测试页。", n=len(pages))
