from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCALE_VALUES, TEXT_MAX_LENGTH, Question, QuestionKind


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class QuestionnaireForm(forms.Form):
    """One field per question, in order; the service checks the answers once more."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        common = {
            "label": question.text,
            "required": question.required,
            "help_text": question.hint,
        }
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX_LENGTH}),
                **common,
            )
        if question.kind == QuestionKind.SCALE:
            low = question.scale_low or _("not at all")
            high = question.scale_high or _("very much")
            choices = [
                (
                    str(value),
                    f"{value} – {low}"
                    if value == 1
                    else f"{value} – {high}"
                    if value == 5
                    else str(value),
                )
                for value in SCALE_VALUES
            ]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        choices = [(str(option.pk), option.label) for option in question.options.all()]
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Response summary"),
        help_text=_(
            "What the city learned from the comments and answers, and what it will do. "
            "Published on the project page."
        ),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
