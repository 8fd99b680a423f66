"""The newsroom's roles (Reporters, Editors) and the "Editorial review" workflow.

Every function takes an ``apps`` registry so that the data migration can run it with historical
models, and ``load_demo`` (or an operator) can run it again with the real ones. All of them are
idempotent: running them twice changes nothing.

- **Reporters** create and edit articles under the news index and submit them for review. They
  cannot publish: Wagtail only offers "Publish" to users with the ``publish`` page permission.
- **Editors** also publish, unpublish, lock and delete articles, and manage authors, tags and
  (once the newsletter exists) subscribers. They are the approvers of "Editorial review", and
  they start and sync translations (wagtail-localize's ``submit_translation``: its "Sync"
  form can publish every translation at once, so it is a publishing right).

Both groups' page rights and the workflow are on every news index, in every language: each
locale's news index (made when a page is first translated into that language, or by
``load_demo``) gets them when it is created (``grant_news_index``, connected in ``apps.py``), so
a reporter drafts and submits an Albanian article exactly as an English one.
"""

from __future__ import annotations

from django.apps import apps as global_apps

REPORTERS = "Reporters"
EDITORS = "Editors"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"

# Page permissions on the news index (and so on every article under it).
REPORTER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "delete_page",
]
# Image permissions on the root collection.
REPORTER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
EDITOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "choose_image"]
REPORTER_DOCUMENT_PERMISSIONS = ["add_document", "choose_document"]
EDITOR_DOCUMENT_PERMISSIONS = [
    "add_document",
    "change_document",
    "delete_document",
    "choose_document",
]

# Model (snippet) permissions: (app_label, model_name, actions). Models that are not installed
# (e.g. the newsletter's subscribers before that app exists) are skipped.
CRUD = ("add", "change", "delete", "view")
REPORTER_MODEL_PERMISSIONS = [
    ("news", "author", ("view",)),
    ("taggit", "tag", ("view",)),
    # Live updates are posted at once, without review (the live page itself is reviewed).
    ("live", "liveupdate", ("add", "change", "view")),
]
EDITOR_MODEL_PERMISSIONS = [
    ("news", "author", CRUD),
    ("taggit", "tag", CRUD),
    ("newsletter", "subscriber", CRUD),
    # Editors may also email a breaking alert for an update (any user or group can be given
    # "Can email a breaking alert" in the admin).
    ("live", "liveupdate", (*CRUD, "alert")),
    ("wagtail_localize", "translation", ("submit",)),
]

CUSTOM_PERMISSION_NAMES = {
    "alert_liveupdate": "Can email a breaking alert",
    "access_admin": "Can access Wagtail admin",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
    "bulk_delete_page": "Delete pages with children",
    "choose_image": "Can choose image",
    "choose_document": "Can choose document",
    "submit_translation": "Can submit translations",
}


def _content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return content_type


def _permission(apps, app_label: str, model: str, codename: str):
    """The Permission row, created if post_migrate has not made it yet (fresh databases)."""
    Permission = apps.get_model("auth", "Permission")
    content_type = _content_type(apps, app_label, model)
    name = CUSTOM_PERMISSION_NAMES.get(codename)
    if name is None:
        action = codename.split("_", 1)[0]
        name = f"Can {action} {model}"
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name[:255]}
    )
    return permission


def _model_installed(apps, app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def ensure_groups(apps=global_apps):
    """Create the Reporters and Editors groups with their admin, snippet and image rights."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    reporters, _ = Group.objects.get_or_create(name=REPORTERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    for group, model_perms, collection_perms in [
        (
            reporters,
            REPORTER_MODEL_PERMISSIONS,
            [("wagtailimages", "image", REPORTER_IMAGE_PERMISSIONS)]
            + [("wagtaildocs", "document", REPORTER_DOCUMENT_PERMISSIONS)],
        ),
        (
            editors,
            EDITOR_MODEL_PERMISSIONS,
            [("wagtailimages", "image", EDITOR_IMAGE_PERMISSIONS)]
            + [("wagtaildocs", "document", EDITOR_DOCUMENT_PERMISSIONS)],
        ),
    ]:
        group.permissions.add(access_admin)
        for app_label, model, actions in model_perms:
            if _model_installed(apps, app_label, model):
                group.permissions.add(
                    *[_permission(apps, app_label, model, f"{a}_{model}") for a in actions]
                )
        if root_collection is None:
            continue
        for app_label, model, codenames in collection_perms:
            if not _model_installed(apps, app_label, model):
                continue
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )
    ensure_page_permissions(apps)
    return reporters, editors


def _news_indexes(apps):
    NewsIndexPage = apps.get_model("news", "NewsIndexPage")
    return list(NewsIndexPage.objects.order_by("pk"))


def ensure_page_permissions(apps=global_apps, indexes=None):
    """Give both groups their page rights on every news index (a no-op before one exists)."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    groups = {g.name: g for g in Group.objects.filter(name__in=[REPORTERS, EDITORS])}
    if len(groups) != 2:
        return
    for index in _news_indexes(apps) if indexes is None else indexes:
        for group_name, codenames in [
            (REPORTERS, REPORTER_PAGE_PERMISSIONS),
            (EDITORS, EDITOR_PAGE_PERMISSIONS),
        ]:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[group_name],
                    page_id=index.pk,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )


def ensure_workflow(apps=global_apps):
    """The "Editorial review" workflow (one Editors approval task) on every news index."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors = Group.objects.filter(name=EDITORS).first()
    if editors is None:
        _, editors = ensure_groups(apps)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=_content_type(apps, "wagtailcore", "groupapprovaltask"),
        )
    task.groups.add(editors)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    for index in _news_indexes(apps):
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
    return workflow


def grant_news_index(sender, instance, created, raw=False, **kwargs):
    """A new news index (another language's, typically) gets both groups' page rights and the
    workflow, if the newsroom is set up (``post_save`` of ``NewsIndexPage``)."""
    if not created or raw:
        return
    ensure_page_permissions(global_apps, indexes=[instance])
    Workflow = global_apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = global_apps.get_model("wagtailcore", "WorkflowPage")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(page_id=instance.pk, defaults={"workflow": workflow})


def ensure_editorial_setup(apps=global_apps):
    """Groups, page permissions and the workflow: everything the newsroom's roles need."""
    ensure_groups(apps)
    return ensure_workflow(apps)
