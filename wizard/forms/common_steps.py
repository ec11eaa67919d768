"""The steps every profile type shares: country, organisation, contact person."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, StringField, TelField, TextAreaField, ValidationError
from wtforms.validators import Email, Length, NumberRange, Optional

from wizard.countries import is_known_country
from wizard.forms.common import Required, http_url, no_control_characters, strip_text
from wizard.forms.fields import CountryField
from wizard.matching import registrable_domain

TEXT = [strip_text]


def known_country(form, field) -> None:
    if field.data and not is_known_country(field.data):
        raise ValidationError("Choose a country from the list")


class CountryForm(FlaskForm):
    country = CountryField(
        "Country", description="Where the organisation is based. The questions that follow depend on it.",
        validators=[Required("the country of your organisation", verb="Choose"), known_country],
        render_kw={"autocomplete": "country"},
    )


def real_website(form, field) -> None:
    if field.data and registrable_domain(field.data) is None:
        raise ValidationError("Enter the address of your organisation's own website, like https://www.example.eu")


class OrganisationForm(FlaskForm):
    name = StringField("Organisation name", filters=TEXT,
                       validators=[Required("the name of your organisation"), Length(max=300), no_control_characters],
                       render_kw={"autocomplete": "organization"})
    acronym = StringField("Acronym", filters=TEXT, validators=[Optional(), Length(max=60), no_control_characters])
    website = StringField(
        "Website", filters=TEXT,
        description="For cluster organisations: the English version of the website (a machine-translated one is fine).",
        validators=[Required("the address of your website"), Length(max=500), http_url, real_website],
        render_kw={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"},
    )
    address = StringField("Postal address", filters=TEXT,
                          validators=[Required("the postal address"), Length(max=300), no_control_characters],
                          render_kw={"autocomplete": "street-address"})
    city = StringField("Town or city", filters=TEXT,
                       validators=[Required("the town or city"), Length(max=120), no_control_characters],
                       render_kw={"autocomplete": "address-level2"})
    region = StringField("Region", filters=TEXT, validators=[Optional(), Length(max=120), no_control_characters],
                         render_kw={"autocomplete": "address-level1"})
    year_established = IntegerField(
        "Year of establishment", description="For example, 2012.",
        validators=[Required("the year of establishment"), NumberRange(min=1800, max=date.today().year,
                    message=f"Enter a year between 1800 and {date.today().year}")],
        render_kw={"inputmode": "numeric"},
    )
    description = TextAreaField(
        "Short description", description="What the organisation does, in up to 1,500 characters.", filters=TEXT,
        validators=[Required("a short description"), Length(max=1500, message="Keep the description to 1,500 characters"),
                    no_control_characters],
        render_kw={"rows": 5},
    )


class ContactForm(FlaskForm):
    contact_name = StringField("Full name", filters=TEXT,
                               validators=[Required("the contact person's full name"), Length(max=200),
                                           no_control_characters], render_kw={"autocomplete": "name"})
    contact_role = StringField("Role in the organisation", filters=TEXT,
                               validators=[Required("the contact person's role"), Length(max=120),
                                           no_control_characters], render_kw={"autocomplete": "organization-title"})
    contact_email = EmailField("E-mail address", filters=TEXT,
                               validators=[Required("the contact person's e-mail address"), Length(max=254),
                                           Email(message="Enter an e-mail address like name@example.eu")],
                               render_kw={"autocomplete": "email", "spellcheck": "false"})
    contact_phone = TelField("Phone number", filters=TEXT, description="Include the country code, like +32 2 123 45 67.",
                             validators=[Optional(), Length(max=40), no_control_characters],
                             render_kw={"autocomplete": "tel"})
    publish_contact = BooleanField("Show this e-mail address and phone number on the public profile")
