"""The steps every profile type shares: country, organisation, contact person."""
import ipaddress

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, TelField, TextAreaField, ValidationError
from wtforms.validators import Email, Length, NumberRange, Optional, Regexp

from wizard.countries import is_known_country
from wizard.forms.common import (
    MaxLength,
    Required,
    Shown,
    http_url,
    no_control_characters,
    not_in_the_future,
    strip_text,
)
from wizard.forms.fields import CountryField, SingleLineField, WholeNumberField
from wizard.matching import registrable_domain, safe_http_url

TEXT = [strip_text]
URL_KW = {"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}


def known_country(form, field) -> None:
    if field.data and not is_known_country(field.data):
        raise ValidationError("Choose a country from the list")


class CountryForm(FlaskForm):
    country = CountryField(
        "Country", description="Where the organisation is based. The questions that follow depend on it. "
                               "Type the first letters of the country's name to find it.",
        validators=[Required("the country of your organisation", verb="Choose"), known_country],
        render_kw={"autocomplete": "country"},
    )


def real_website(form, field) -> None:
    """A domain under a public suffix: not an IP address, "localhost" or an intranet name."""
    if not field.data or not safe_http_url(field.data):
        return  # http_url has said what is wrong
    domain = registrable_domain(field.data)
    if domain is None or _is_ip_address(domain):
        raise ValidationError("Enter the address of your organisation's own website, like https://www.example.eu")


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class OrganisationForm(FlaskForm):
    name = SingleLineField("Organisation name", filters=TEXT,
                       validators=[Required("the name of your organisation"), MaxLength(300)],
                       render_kw={"autocomplete": "organization"})
    acronym = SingleLineField("Acronym", filters=TEXT, validators=[Optional(), MaxLength(60)])
    website = SingleLineField(
        "Website", filters=TEXT,
        validators=[Required("the address of your website"), MaxLength(500), http_url, real_website],
        render_kw=URL_KW,
    )
    address = SingleLineField("Postal address", filters=TEXT,
                          validators=[Required("the postal address"), MaxLength(300)],
                          render_kw={"autocomplete": "address-line1"})
    city = SingleLineField("Town or city", filters=TEXT,
                       validators=[Required("the town or city"), MaxLength(120)],
                       render_kw={"autocomplete": "address-level2"})
    region = SingleLineField("Region", filters=TEXT, validators=[Optional(), MaxLength(120)],
                         render_kw={"autocomplete": "address-level1"})
    year_established = WholeNumberField(
        "Year of establishment", description="For example, 2012.",
        invalid_value_message="Enter the year the organisation was established, for example 2005",
        validators=[Required("the year the organisation was established"),
                    NumberRange(min=1800, message="Enter the year the organisation was established, from 1800 on"),
                    not_in_the_future],
    )
    description = TextAreaField(
        "Short description", description="What the organisation does, in up to 1,500 characters.", filters=TEXT,
        validators=[Required("a short description"),
                    Length(max=1500, message="Keep the description to 1,500 characters"), no_control_characters],
        render_kw={"rows": 5},
    )


class ClusterOrganisationDetailsForm(OrganisationForm):
    """A cluster organisation's: validators check the English version of its website (domain.md §3, criterion 2)."""

    WEBSITE_HINT = "The English version of the website (a machine-translated one is fine)."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set on the bound field: a field declared again here would move to the end of the page.
        self.website.description = self.WEBSITE_HINT


class ContactForm(FlaskForm):
    contact_name = SingleLineField("Full name", filters=TEXT,
                                   validators=[Required("the contact person's full name"), MaxLength(200)],
                                   render_kw={"autocomplete": "name"})
    contact_role = SingleLineField("Role in the organisation", filters=TEXT,
                                   validators=[Required("the contact person's role"), MaxLength(120)],
                                   render_kw={"autocomplete": "organization-title"})
    contact_email = EmailField("E-mail address", filters=TEXT,
                               validators=[Required("the contact person's e-mail address"), MaxLength(254),
                                           Email(message="Enter an e-mail address like name@example.eu"),
                                           Shown(Shown.WITH_CONSENT)],
                               render_kw={"autocomplete": "email", "spellcheck": "false"})
    contact_phone = TelField("Phone number", filters=TEXT,
                             description="Include the country code, like +32 2 123 45 67.",
                             validators=[Optional(), MaxLength(40),
                                         Regexp(r"^\+?[0-9 ()./-]{6,}$", message="Enter a phone number in digits, "
                                                "like +32 2 123 45 67"), Shown(Shown.WITH_CONSENT)],
                             render_kw={"autocomplete": "tel"})
    publish_contact = BooleanField("Show this e-mail address and phone number on the public profile",
                                   validators=[Shown(public=False, consent=True)])
