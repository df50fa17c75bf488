from django.urls import path

from marketplace.social import views

urlpatterns = [
    path("link/", views.link_phone, name="wechat-link-phone"),
    path("link/confirm/", views.link_confirm, name="wechat-link-confirm"),
]
