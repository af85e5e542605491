"""Admin forms: a breed's curated fields and blocked image URLs."""

import unicodedata
from urllib.parse import unquote, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from breeds import images
from breeds.models import BlockedImage, Breed, BreedAlias


def image_label(url):
    """Return an image's folder and file name, such as ``pug/n02110958_1.jpg``."""
    path = unquote(urlsplit(url).path)
    return path.removeprefix("/breeds/")


def cover_choices(breed):
    """Return select choices for the breed's cover: its images, none blocked.

    The current cover stays a choice even when the Dog API no longer lists
    it or it has been blocked, so that saving other fields does not fail.
    """
    listed = images.get_image_list(breed).urls
    blocked = set(BlockedImage.objects.values_list("url", flat=True))
    choices = [("", _("No cover image"))]
    choices += [(url, image_label(url)) for url in listed if url not in blocked]
    current = breed.cover_image
    if current and current not in {value for value, _label in choices}:
        if current in blocked:
            label = _("%(image)s (current, blocked)")
        else:
            label = _("%(image)s (current, no longer listed)")
        choices.insert(1, (current, label % {"image": image_label(current)}))
    return choices


class BreedForm(forms.ModelForm):
    """The curated fields of a breed, with the cover picked from its images."""

    cover_image = forms.ChoiceField(
        label=_("Cover image"),
        required=False,
        help_text=_(
            "Photo that leads the breed page, chosen from the breed's photos "
            "on the Dog API. Blocked photos are not offered."
        ),
    )

    class Meta:
        model = Breed
        fields = [
            "display_name",
            "description",
            "hidden",
            "featured",
            "featured_order",
            "cover_image",
        ]
        help_texts = {
            "description": _(
                "Plain text shown on the breed page. Line breaks are kept; "
                "HTML is shown as typed, not interpreted."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cover_image" in self.fields and self.instance.pk is not None:
            self.fields["cover_image"].choices = cover_choices(self.instance)


class BlockedImageForm(forms.ModelForm):
    """A blocked image URL, stored in the form the image lists use."""

    # A CharField, not a URLField, because pasted URLs may contain spaces,
    # which only become valid once normalized in clean_url().
    url = forms.CharField(
        label=_("Image URL"),
        max_length=500,
        help_text=_(
            "Address of the photo, as copied from a breed page "
            "(right-click the photo, then copy the image address)."
        ),
    )

    class Meta:
        model = BlockedImage
        fields = ["url", "reason"]

    def clean_url(self):
        try:
            return images.normalize_for_site(self.cleaned_data["url"])
        except ValueError as error:
            raise ValidationError(
                _(
                    "This is not the address of a Dog API photo that the site "
                    "shows (%(problem)s). Copy the image address from a breed "
                    "page."
                ),
                code="invalid",
                params={"problem": error},
            ) from None


def clean_alias(text):
    """Fold white space and drop invisible format characters from an alias."""
    visible = "".join(
        character for character in text if unicodedata.category(character) != "Cf"
    )
    return " ".join(visible.split())


class BreedAliasForm(forms.ModelForm):
    """One alias, rejected when it is another breed's own name."""

    class Meta:
        model = BreedAlias
        fields = ["name"]

    def clean_name(self):
        name = clean_alias(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Enter an alias with at least one visible letter."))
        folded = name.casefold()
        others = Breed.objects.exclude(pk=self.instance.breed_id).only(
            "display_name", "default_name"
        )
        for other in others:
            if folded in {other.display_name.casefold(), other.default_name.casefold()}:
                raise ValidationError(
                    _("“%(alias)s” is the name of the breed %(breed)s.")
                    % {"alias": name, "breed": other.title}
                )
        return name


class BreedAliasFormSet(forms.BaseInlineFormSet):
    """A breed's aliases, with no two alike once case and spacing are ignored."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name or form.cleaned_data.get("DELETE"):
                continue
            if name.casefold() in seen:
                form.add_error(
                    "name", _("This alias is already listed (ignoring case).")
                )
            seen.add(name.casefold())
