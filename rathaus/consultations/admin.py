from django.contrib import admin

from .models import Consultation, Option, Project, ProjectDocument, Question, TimelineEntry


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 1


class DocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 1
    fields = ["title", "file", "uploaded_at"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "published", "created_at"]
    list_filter = ["published", "department"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TimelineInline, DocumentInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    show_change_link = True
    fields = ["position", "kind", "text", "hint", "required", "scale_low", "scale_high"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["project", "opens_at", "closes_at", "residents_only", "summary_published_at"]
    list_filter = ["residents_only"]
    search_fields = ["project__title"]
    readonly_fields = ["summary_published_at"]
    inlines = [QuestionInline]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "consultation", "position", "kind", "required"]
    list_filter = ["kind"]
    inlines = [OptionInline]
