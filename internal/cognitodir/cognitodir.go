// Package cognitodir is staff management's directory on a Cognito user pool: accounts
// are users, the role is the user's group, the scope the custom:scope attribute
// (writable only through these admin calls; the client's WriteAttributes exclude it).
// Cognito e-mails an invited user their temporary password.
package cognitodir

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/staffdir"
)

// API is the part of the Cognito client the directory uses (the IAM statement of the
// staff function allows exactly these actions on the user pool).
type API interface {
	AdminCreateUser(context.Context, *cip.AdminCreateUserInput, ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error)
	AdminAddUserToGroup(context.Context, *cip.AdminAddUserToGroupInput, ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error)
	AdminDisableUser(context.Context, *cip.AdminDisableUserInput, ...func(*cip.Options)) (*cip.AdminDisableUserOutput, error)
	AdminGetUser(context.Context, *cip.AdminGetUserInput, ...func(*cip.Options)) (*cip.AdminGetUserOutput, error)
	ListUsers(context.Context, *cip.ListUsersInput, ...func(*cip.Options)) (*cip.ListUsersOutput, error)
	AdminListGroupsForUser(context.Context, *cip.AdminListGroupsForUserInput, ...func(*cip.Options)) (*cip.AdminListGroupsForUserOutput, error)
}

// Directory is a user pool.
type Directory struct {
	API        API
	UserPoolID string
}

var _ staffdir.Directory = Directory{}

// New returns the directory on a user pool with a client from cfg.
func New(cfg aws.Config, userPoolID string) Directory {
	return Directory{API: cip.NewFromConfig(cfg), UserPoolID: userPoolID}
}

func attr(as []types.AttributeType, name string) string {
	for _, a := range as {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func (d Directory) role(ctx context.Context, username string) (auth.Role, error) {
	out, err := d.API.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &d.UserPoolID, Username: &username})
	if err != nil {
		return "", err
	}
	for _, g := range out.Groups {
		switch r := auth.Role(aws.ToString(g.GroupName)); r {
		case auth.Admin, auth.Officer, auth.Organizer, auth.Collector:
			return r, nil
		}
	}
	return "", nil
}

// List returns every user of the pool with their group.
func (d Directory) List(ctx context.Context) ([]staffdir.Member, error) {
	var out []staffdir.Member
	var token *string
	for {
		page, err := d.API.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &d.UserPoolID, PaginationToken: token})
		if err != nil {
			return nil, err
		}
		for _, u := range page.Users {
			name := aws.ToString(u.Username)
			r, err := d.role(ctx, name)
			if err != nil {
				return nil, err
			}
			out = append(out, staffdir.Member{Username: name, Email: attr(u.Attributes, "email"), Role: r,
				ScopeUnitID: attr(u.Attributes, auth.ClaimScope), Enabled: u.Enabled})
		}
		if page.PaginationToken == nil {
			return out, nil
		}
		token = page.PaginationToken
	}
}

// Get returns one user.
func (d Directory) Get(ctx context.Context, username string) (staffdir.Member, error) {
	u, err := d.API.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &d.UserPoolID, Username: &username})
	var nf *types.UserNotFoundException
	if errors.As(err, &nf) {
		return staffdir.Member{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy tài khoản")
	}
	if err != nil {
		return staffdir.Member{}, err
	}
	r, err := d.role(ctx, username)
	if err != nil {
		return staffdir.Member{}, err
	}
	return staffdir.Member{Username: username, Email: attr(u.UserAttributes, "email"), Role: r,
		ScopeUnitID: attr(u.UserAttributes, auth.ClaimScope), Enabled: u.Enabled}, nil
}

// Invite creates the user (Cognito e-mails a temporary password) and adds it to the
// role's group.
func (d Directory) Invite(ctx context.Context, in staffdir.Invitation) (staffdir.Member, error) {
	_, err := d.API.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: &d.UserPoolID, Username: &in.Username,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: &in.Email},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String(auth.ClaimScope), Value: &in.ScopeUnitID},
		},
	})
	var exists *types.UsernameExistsException
	if errors.As(err, &exists) {
		return staffdir.Member{}, apperr.Errorf(apperr.Conflict, "Tên đăng nhập đã được dùng")
	}
	if err != nil {
		return staffdir.Member{}, err
	}
	group := string(in.Role)
	if _, err := d.API.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &d.UserPoolID, Username: &in.Username, GroupName: &group}); err != nil {
		return staffdir.Member{}, err
	}
	return staffdir.Member{Username: in.Username, Email: in.Email, Role: in.Role, ScopeUnitID: in.ScopeUnitID, Enabled: true}, nil
}

// Disable disables the user (their tokens run to expiry; refresh then fails).
func (d Directory) Disable(ctx context.Context, username string) error {
	_, err := d.API.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &d.UserPoolID, Username: &username})
	var nf *types.UserNotFoundException
	if errors.As(err, &nf) {
		return apperr.Errorf(apperr.NotFound, "Không tìm thấy tài khoản")
	}
	return err
}
