"""Admin views: the "Post update" page of a live page, and pin / unpin / withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from .forms import PostUpdateForm, WithdrawForm
from .models import AlertRefused, LivePage, LiveUpdate

RECENT_IN_ADMIN = 30


def can_post(user) -> bool:
    return user.has_perm("live.add_liveupdate")


def can_change(user) -> bool:
    return user.has_perm("live.change_liveupdate")


def post_update(request, page_id):
    """The live page's newsroom view: the short form, then its recent updates."""
    page = get_object_or_404(LivePage.objects.select_related("alert_newsletter"), pk=page_id)
    if not (can_post(request.user) or can_change(request.user)):
        raise PermissionDenied
    if request.method == "POST":
        if not can_post(request.user):
            raise PermissionDenied
        form = PostUpdateForm(request.POST, page=page, user=request.user)
        if form.is_valid():
            breaking = form.cleaned_data.get("breaking", False)
            try:
                update = page.post_update(
                    body=form.body(),
                    author=form.cleaned_data["author"],
                    pinned=form.cleaned_data["pinned"],
                    posted_by=request.user,
                    breaking=breaking,
                )
            except AlertRefused as refusal:
                form.add_error("breaking", str(refusal))  # nothing posted, nothing emailed
            else:
                messages.success(request, f"Update posted at {update}.")
                if breaking:
                    messages.success(
                        request,
                        "Breaking alert: it is being emailed to the subscribers of "
                        f"{page.alert_newsletter.name}.",
                    )
                return redirect("live_post_update", page_id=page.pk)
    else:
        last = LiveUpdate.objects.filter(posted_by=request.user, author__isnull=False).first()
        form = PostUpdateForm(
            initial={"author": last.author if last else None}, page=page, user=request.user
        )
    return TemplateResponse(
        request,
        "live/admin/post_update.html",
        {
            "page": page,
            "form": form,
            "updates": page.updates.select_related("author")[:RECENT_IN_ADMIN],
            "can_post": can_post(request.user),
            "can_change": can_change(request.user),
            "withdraw_form": WithdrawForm(),
            "header_title": f"Post update: {page.title}",
        },
    )


@require_POST
def update_action(request, pk, action):
    """Pin, unpin or withdraw one update (each a one-column save that purges the live page)."""
    if not can_change(request.user):
        raise PermissionDenied
    update = get_object_or_404(LiveUpdate.objects.select_related("page"), pk=pk)
    if action == "pin":
        update.pinned = True
        update.save(update_fields=["pinned"])
        messages.success(request, "Update pinned.")
    elif action == "unpin":
        update.pinned = False
        update.save(update_fields=["pinned"])
        messages.success(request, "Update unpinned.")
    elif action == "withdraw":
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Say why the update was withdrawn.")
        else:
            update.withdrawn = True
            update.pinned = False
            update.correction_note = form.cleaned_data["note"]
            update.save(update_fields=["withdrawn", "pinned", "correction_note"])
            messages.success(request, "Update withdrawn.")
    else:
        raise PermissionDenied
    return redirect(reverse("live_post_update", args=[update.page_id]) + f"#{update.anchor}")
