# Written by 'wbinstall render'.  Add a remote backend for the state here.
provider "aws" {
  region = {{region}}

  default_tags {
    tags = {
      GithubRepo = "terraform-aws-wandb"
      GithubOrg  = "wandb"
      Namespace  = {{namespace}}
    }
  }
}
